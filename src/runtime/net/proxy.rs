//! kube-proxy: a real loopback listener for every Service port.
