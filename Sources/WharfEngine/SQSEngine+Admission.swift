import SQSModel

// Growing writes pass the store's admission first (see WriteAdmission).
extension SQSEngine {
    /// Throws the retryable 503 when the admission refuses growing writes now.
    func admitGrowingWrite() throws(SQSError) {
        if let reason = admission.refusalReason() { throw .serviceUnavailable(reason) }
    }
}
