//! The stored format and the only code that touches localStorage.
