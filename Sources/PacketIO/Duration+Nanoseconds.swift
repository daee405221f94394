extension Duration {
    /// The whole nanoseconds: the unit of every time on the packet path.
    public var nanosecondsValue: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
