//! placeholder: filled by the shell work
