//! fixture helper
