fn main() {
    #[cfg(target_arch = "wasm32")]
    leadline::ui::mount();
}
