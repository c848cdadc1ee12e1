//! This copy's device: adopted once, named by the user, and the names of
//! the devices met through merges.

use super::*;
use crate::domain::contact::check_length;

/// The longest device name.
pub const MAX_DEVICE_NAME_CHARS: usize = 60;

impl Pipeline {
    /// This copy's device, once adopted.
    pub fn device(&self) -> Option<DeviceId> {
        self.data.device
    }

    /// The name of a device this pipeline has met ("Laptop"), if known.
    pub fn device_name(&self, device: DeviceId) -> Option<&str> {
        self.data.devices.get(&device).map(|d| d.name.as_str())
    }

    /// Makes this copy the device `device` named `name`, if it has none yet.
    /// Records made from now on carry the device in their ids, and changes
    /// are stamped with change clocks. Not a change of the pipeline: it is
    /// stored with the first change the user makes, and no undo step.
    pub fn adopt_device(&mut self, device: DeviceId, name: &str, now: DateTime<Utc>) {
        if self.data.device.is_some() {
            return;
        }
        self.data.device = Some(device);
        // The device numbers its own records from 1: its tag keeps them
        // apart from every earlier record.
        self.data.next_id = 1;
        let at = self.tick(Some(now));
        let name = name.trim().chars().take(MAX_DEVICE_NAME_CHARS).collect();
        self.data.devices.insert(device, DeviceName { name, at });
    }

    /// Renames this copy's device (Settings → Device name). Not an undo
    /// step; returns whether the name changed.
    pub fn rename_device(&mut self, name: &str, now: DateTime<Utc>) -> Result<bool, DomainError> {
        let Some(device) = self.data.device else {
            return Err(DomainError::Gone);
        };
        let name = name.trim();
        let mut errors = FieldErrors::new();
        if name.is_empty() {
            errors.push(Field::DeviceName, FieldProblem::Required);
        }
        check_length(&mut errors, Field::DeviceName, name, MAX_DEVICE_NAME_CHARS);
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors));
        }
        if self.device_name(device) == Some(name) {
            return Ok(false);
        }
        let at = self.tick(Some(now));
        self.data.devices.insert(
            device,
            DeviceName {
                name: name.to_owned(),
                at,
            },
        );
        self.changes.record_other();
        Ok(true)
    }
}

impl PipelineData {
    /// A record of this copy as stored (timeline included), if it has it.
    pub fn stored_record(&self, kind: RecordKind, id: u64) -> Option<serde_json::Value> {
        fn find<T: Record>(list: &[T], id: u64) -> Option<serde_json::Value> {
            position(list, id).map(|i| crate::domain::stored::to_plain(&list[i]))
        }
        match kind {
            RecordKind::Contact => find(&self.contacts, id),
            RecordKind::Lead => find(&self.leads, id),
            RecordKind::Opportunity => find(&self.opportunities, id),
            RecordKind::Account => find(&self.accounts, id),
        }
    }

    /// Everything but the records (settings, device names, tombstones,
    /// merges and this copy's own numbers), without copying the records.
    pub fn without_records(&self) -> PipelineData {
        PipelineData {
            next_id: self.next_id,
            default_currency: self.default_currency,
            language: self.language,
            custom_sources: self.custom_sources.clone(),
            contacts: Vec::new(),
            leads: Vec::new(),
            opportunities: Vec::new(),
            accounts: Vec::new(),
            sample: self.sample,
            device: self.device,
            devices: self.devices.clone(),
            clock: self.clock,
            tombstones: self.tombstones.clone(),
            settings_stamps: self.settings_stamps.clone(),
            seen: self.seen.clone(),
            merges: self.merges.clone(),
        }
    }

    /// Puts the records in id order and every timeline in time order, each
    /// entry once (records and entries read from separate documents come
    /// in any order).
    pub fn tidy(&mut self) {
        fn tidy<T: Record>(list: &mut [T]) {
            sort_by_id(list);
            for r in list {
                let tidy = History::new().union(r.history());
                *r.history_mut() = tidy;
            }
        }
        tidy(&mut self.contacts);
        tidy(&mut self.leads);
        tidy(&mut self.opportunities);
        tidy(&mut self.accounts);
    }

    /// The newest change clock reading of each device that this data holds
    /// (in its records' stamps and timelines, tombstones, settings, device
    /// names and merges): what a copy made of it has seen.
    pub fn readings(&self) -> BTreeMap<DeviceId, Hlc> {
        fn of<T: Record>(list: &[T], out: &mut Vec<Hlc>) {
            for r in list {
                out.extend(r.stamps().readings());
                out.extend(r.history().iter().filter_map(|e| e.id));
            }
        }
        let mut all = Vec::new();
        of(&self.contacts, &mut all);
        of(&self.leads, &mut all);
        of(&self.opportunities, &mut all);
        of(&self.accounts, &mut all);
        all.extend(self.tombstones.iter().map(|t| t.at));
        all.extend(self.settings_stamps.readings());
        all.extend(self.devices.values().map(|d| d.at));
        all.extend(self.merges.iter().map(|m| m.at));
        let mut out: BTreeMap<DeviceId, Hlc> = BTreeMap::new();
        for h in all.into_iter().filter(|h| !h.is_zero()) {
            let e = out.entry(h.device).or_insert(h);
            *e = (*e).max(h);
        }
        out
    }

    /// Makes `self` (data put in place whole: a file, sample data) carry
    /// what belongs to the copy it replaces: its device and the numbers it
    /// handed out, a clock no earlier than it had, and the device names it
    /// knew (its own as it named it).
    pub(in crate::domain) fn keep_local(&mut self, local: &PipelineData) {
        self.device = local.device;
        if local.device.is_some() {
            self.next_id = local.next_id;
        } else {
            self.next_id = self.next_id.max(local.next_id);
        }
        self.clock = self.clock.max(local.clock);
        for (device, name) in &local.devices {
            let keep = Some(device) == local.device.as_ref()
                || self.devices.get(device).is_none_or(|n| n.at < name.at);
            if keep {
                self.devices.insert(*device, name.clone());
            }
        }
    }
}

/// A name for this browser a person recognises, from its user agent:
/// "Firefox on Windows", "Chromium on Linux", "Safari on iPhone".
pub fn default_device_name(user_agent: &str) -> String {
    let has = |s: &str| user_agent.contains(s);
    let browser = if has("Edg/") {
        "Edge"
    } else if has("OPR/") {
        "Opera"
    } else if has("Firefox/") {
        "Firefox"
    } else if has("Chromium/") || has("HeadlessChrome/") {
        "Chromium"
    } else if has("Chrome/") || has("CriOS/") {
        "Chrome"
    } else if has("Safari/") {
        "Safari"
    } else {
        "Browser"
    };
    let system = if has("iPhone") {
        "iPhone"
    } else if has("iPad") {
        "iPad"
    } else if has("Android") {
        "Android"
    } else if has("Windows") {
        "Windows"
    } else if has("Mac OS X") || has("Macintosh") {
        "macOS"
    } else if has("CrOS") {
        "ChromeOS"
    } else if has("Linux") {
        "Linux"
    } else {
        return browser.to_owned();
    };
    format!("{browser} on {system}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn browsers_get_names_people_recognise() {
        let cases = [
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36", "Chromium on Linux"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox on Windows"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1", "Safari on iPhone"),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0", "Edge on macOS"),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36", "Chrome on Android"),
            ("curl/8.0", "Browser"),
        ];
        for (agent, name) in cases {
            assert_eq!(default_device_name(agent), name, "{agent}");
        }
    }

    #[test]
    fn a_device_is_adopted_once_and_numbers_its_own_records() {
        let now = Utc.timestamp_opt(1_700_000_000, 0).unwrap();
        let mut p = Pipeline::new();
        p.adopt_device(DeviceId(77), "  Laptop ", now);
        p.adopt_device(DeviceId(88), "Phone", now);
        assert_eq!(p.device(), Some(DeviceId(77)));
        assert_eq!(p.device_name(DeviceId(77)), Some("Laptop"));
        let c = p
            .add_contact(
                crate::domain::ContactFields {
                    name: "Ada".into(),
                    ..Default::default()
                },
                now,
            )
            .unwrap();
        assert_eq!(c.to_string(), "25-1");
        assert_eq!(p.contact(c).unwrap().stamps.born().device, DeviceId(77));
        p.check_integrity().unwrap();
    }

    #[test]
    fn renaming_checks_the_name() {
        let now = Utc.timestamp_opt(1_700_000_000, 0).unwrap();
        let mut p = Pipeline::new();
        assert_eq!(p.rename_device("x", now), Err(DomainError::Gone));
        p.adopt_device(DeviceId(5), "Chromium on Linux", now);
        assert!(matches!(
            p.rename_device("  ", now),
            Err(DomainError::Invalid(_))
        ));
        assert!(matches!(
            p.rename_device(&"x".repeat(61), now),
            Err(DomainError::Invalid(_))
        ));
        let changes = p.changes();
        assert_eq!(p.rename_device(" Work laptop ", now), Ok(true));
        assert_eq!(p.rename_device("Work laptop", now), Ok(false));
        assert_eq!(p.device_name(DeviceId(5)), Some("Work laptop"));
        assert_eq!(p.changes(), changes + 1);
    }
}
