//! placeholder: filled by the kubectl work
