//! Recognising "storage is full" across browsers.

/// Legacy `DOMException.QUOTA_EXCEEDED_ERR`; Chromium and WebKit still report it.
pub const LEGACY_QUOTA_CODE: u16 = 22;
/// Old Firefox (`NS_ERROR_DOM_QUOTA_REACHED`) reported this code.
pub const FIREFOX_LEGACY_QUOTA_CODE: u16 = 1014;

/// Whether a refused `setItem` means the origin's storage is full.
///
/// `name` is `DOMException.name` (or `Error.name`), `code` is
/// `DOMException.code` when there is one.
/// - Chromium, current WebKit and Firefox: name `QuotaExceededError` (code 22);
/// - older Firefox: name `NS_ERROR_DOM_QUOTA_REACHED` (code 1014);
/// - old WebKit / Safari private mode: code 22 with varying names.
pub fn is_quota_error(name: &str, code: Option<u16>) -> bool {
    matches!(name, "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED")
        || matches!(code, Some(LEGACY_QUOTA_CODE | FIREFOX_LEGACY_QUOTA_CODE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chromium_and_current_browsers() {
        assert!(is_quota_error("QuotaExceededError", Some(22)));
        assert!(is_quota_error("QuotaExceededError", None));
        assert!(is_quota_error("QuotaExceededError", Some(0)));
    }

    #[test]
    fn firefox_names_and_legacy_code() {
        assert!(is_quota_error("NS_ERROR_DOM_QUOTA_REACHED", Some(1014)));
        assert!(is_quota_error("NS_ERROR_DOM_QUOTA_REACHED", None));
        assert!(is_quota_error("SomethingElse", Some(1014)));
    }

    #[test]
    fn old_webkit_code_22() {
        assert!(is_quota_error("Error", Some(22)));
        assert!(is_quota_error("", Some(22)));
    }

    #[test]
    fn other_errors_are_not_quota() {
        assert!(!is_quota_error("SecurityError", Some(18)));
        assert!(!is_quota_error("InvalidStateError", Some(11)));
        assert!(!is_quota_error("TypeError", None));
        assert!(!is_quota_error("quotaexceedederror", None));
        assert!(!is_quota_error("", None));
    }
}
