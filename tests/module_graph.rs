//! No cycles between the crate's modules: each layer builds on the ones
//! below it (`language` and `named` at the bottom, then `domain`, then
//! `storage`, `transfer` and `i18n`, then `ui`), and inside `domain` every
//! file builds on files below it (`vocabulary` at the bottom).
//!
//! Read from the source: every `crate::…` and `super::…` path outside test
//! code is an edge from the file's module to the module it names.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// `src/domain/lead.rs` → `["domain", "lead"]`; `mod.rs` and `lib.rs` name
/// their folder.
fn module_of(path: &Path, src: &Path) -> Vec<String> {
    let relative = path.strip_prefix(src).unwrap_or(path);
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file without its test code: from a `#[cfg(test)]` line on (test
/// modules sit at the end of each file), and without comments.
fn code(text: &str) -> String {
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths after each `crate::` or `super::` in `code`, as segments
/// (`crate::i18n::{t, Text}` gives `["i18n"]`; `super::super::x` climbs twice).
fn named_modules(code: &str, me: &[String], is_mod_file: bool) -> Vec<Vec<String>> {
    let ident = |s: &str| -> Vec<String> {
        s.split("::")
            .map(|p| {
                p.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|p| !p.is_empty() && p.chars().next().is_some_and(char::is_lowercase))
            .collect()
    };
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        out.push(ident(&code[at + "crate::".len()..]));
    }
    for (at, _) in code.match_indices("super::") {
        let before = code[..at].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        // `super` of a file module is its folder's module; of `mod.rs`, the
        // folder's parent.
        let mut base: Vec<String> = me.to_vec();
        if !is_mod_file || base.pop().is_some() {
            base.pop();
        }
        let mut rest = &code[at + "super::".len()..];
        while let Some(next) = rest.strip_prefix("super::") {
            base.pop();
            rest = next;
        }
        base.extend(ident(rest));
        out.push(base);
    }
    out
}

/// The edges between top-level modules (`domain` → `i18n`), and between
/// the files of `domain` (`domain::lead` → `domain::history`). A file of
/// `domain` naming the folder's re-exports (`super::Pipeline`) is not
/// followed: inside `domain`, files name the file they use.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    files(&src, &mut paths);
    let domain_files: BTreeSet<String> = paths
        .iter()
        .map(|p| module_of(p, &src))
        .filter_map(|m| match m.as_slice() {
            [top, file, ..] if top == "domain" => Some(file.clone()),
            _ => None,
        })
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in &paths {
        let me = module_of(path, &src);
        // Files of test modules are test code (declared under `#[cfg(test)]`).
        if me.iter().any(|m| m == "tests" || m == "proptests") {
            continue;
        }
        let Some(top) = me.first() else { continue };
        let is_mod_file = path.file_name().is_some_and(|n| n == "mod.rs");
        let text = fs::read_to_string(path).unwrap_or_default();
        for named in named_modules(&code(&text), &me, is_mod_file) {
            let Some(to_top) = named.first() else {
                continue;
            };
            let edge = if to_top != top {
                Some((top.clone(), to_top.clone()))
            } else if top == "domain" {
                match (me.get(1), named.get(1)) {
                    (Some(from), Some(to)) if from != to && domain_files.contains(to) => {
                        Some((format!("domain::{from}"), format!("domain::{to}")))
                    }
                    _ => None,
                }
            } else {
                None
            };
            if let Some((from, to)) = edge {
                edges.entry(from).or_default().insert(to);
            }
        }
    }
    edges
}

/// A cycle through the graph, if there is one.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, done, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut done, &mut Vec::new()))
}

#[test]
fn the_modules_form_no_cycle() {
    let edges = graph();
    assert!(
        edges.contains_key("ui"),
        "the graph was not read: {edges:?}"
    );
    if let Some(cycle) = find_cycle(&edges) {
        panic!("module cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn a_cycle_is_found() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_cycle(&edges), None);
    edges.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        find_cycle(&edges),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}
