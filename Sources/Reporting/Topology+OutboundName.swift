import RunModel

extension Topology {
    /// The outbound stream by its far end: the harness's peer socket, or in `pair` the partner.
    var outboundName: String { self == .pair ? "client → client" : "client → peer" }
}
