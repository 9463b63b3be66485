//! placeholder: filled by the ui work
