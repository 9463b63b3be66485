//! What runs inside a pod for `kubectl exec` and `kubectl run -it`.
