//! Tests over fixture scripts.
