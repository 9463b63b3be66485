//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod cluster;
pub mod http;
pub mod lab;
pub mod lesson5;
pub mod tmux;
pub mod transcript;
