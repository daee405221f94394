public let turnloadVersion = "0.1.0"
