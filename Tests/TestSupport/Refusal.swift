import Testing

extension TestProcess.Outcome {
    /// Refused as bad input: exit 64 with a message naming `what`, never a crash's trap and
    /// backtrace.
    public func expectRefusal(naming what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let said = output + errors
        #expect(status == 64, "exit \(status): \(said)", sourceLocation: sourceLocation)
        #expect(errors.contains(what), "no \(what) in: \(said)", sourceLocation: sourceLocation)
        for crash in ["Fatal error", "Stack dump", "Backtrace", "Illegal instruction"] {
            #expect(!said.contains(crash), "\(crash) in: \(said)", sourceLocation: sourceLocation)
        }
    }
}
