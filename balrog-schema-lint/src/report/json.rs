//! JSON rendering.
