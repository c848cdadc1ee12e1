//! The browser build with lazily loaded screens (feature `split`) needs the
//! linker's relocations, which wasm-split-cli reads to cut the module apart.
//! Passed as a link argument, so turning it on relinks rather than rebuilding
//! every dependency; other builds are left exactly as they were.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
}
