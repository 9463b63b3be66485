//! placeholder: filled by the lessons work
