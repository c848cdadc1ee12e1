//! Read-only markup built straight through the DOM, for the Funnel screen's
//! charts and tables (about a thousand nodes): one DOM call per element,
//! attribute and text, without the state and marker comment a reactive view
//! keeps for every node. Text is always set as text, never parsed as markup.

use leptos::prelude::document;
use web_sys::Element;

const SVG: &str = "http://www.w3.org/2000/svg";

/// An element being built. Empty only if the browser refused to create it,
/// which it does only for invalid tag names (ours are constants).
pub struct El(Option<Element>);

/// A new HTML element.
pub fn el(tag: &str) -> El {
    El(document().create_element(tag).ok())
}

/// A new SVG element.
pub fn svg(tag: &str) -> El {
    El(document().create_element_ns(Some(SVG), tag).ok())
}

impl El {
    pub fn attr(self, name: &str, value: &str) -> El {
        if let Some(e) = &self.0 {
            let _ = e.set_attribute(name, value);
        }
        self
    }

    pub fn class(self, value: &str) -> El {
        self.attr("class", value)
    }

    /// Appends `text` as a text node.
    pub fn text(self, text: &str) -> El {
        if let Some(e) = &self.0 {
            let _ = e.append_with_str_1(text);
        }
        self
    }

    pub fn child(self, child: El) -> El {
        if let (Some(e), Some(c)) = (&self.0, &child.0) {
            let _ = e.append_child(c);
        }
        self
    }

    pub fn children(self, children: impl IntoIterator<Item = El>) -> El {
        children.into_iter().fold(self, El::child)
    }
}

/// Replaces everything in `parent` with `children`.
pub fn replace_children(parent: &Element, children: impl IntoIterator<Item = El>) {
    parent.set_text_content(None);
    for c in children.into_iter().filter_map(|c| c.0) {
        let _ = parent.append_child(&c);
    }
}
