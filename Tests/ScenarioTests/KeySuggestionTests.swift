import Testing

@testable import Scenario

@Suite("nearest key")
struct KeySuggestionTests {
    @Test func swapsCountAsOneEdit() {
        #expect(KeySuggestion.distance("clinets", "clients") == 1)
        #expect(KeySuggestion.distance("ramp", "ramp") == 0)
        #expect(KeySuggestion.distance("", "dtx") == 3)
        #expect(KeySuggestion.distance("duration", "drain") == 3)
    }

    @Test func suggestsOnlyWhatIsClose() {
        let keys = ["clients", "duration", "drain", "ramp", "relay-impair", "relay-max-pps"]
        #expect(KeySuggestion.nearest(to: "duraton", among: keys) == "duration")
        #expect(KeySuggestion.nearest(to: "relay-max-ppps", among: keys) == "relay-max-pps")
        #expect(KeySuggestion.nearest(to: "bandwidth", among: keys) == nil)
    }
}
