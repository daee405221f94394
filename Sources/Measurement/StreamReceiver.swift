/// Reception statistics of one direction of one RTP stream, fed one packet at a time.
///
/// Counts, exactly:
/// - **received**: distinct packets (by extended sequence number, RFC 3550 A.1);
/// - **duplicated**: copies of a packet already received, detected over a window of the
///   last 1024 extended sequence numbers;
/// - **reordered**: new packets arriving below the highest sequence number already seen;
/// - **late**: new packets whose one-way delay exceeds the stream's lowest delay so far plus
///   `jitterBuffer`. This is a *fixed playout buffer* model: the receiver is assumed to play
///   each packet at its send time + minimum delay + `jitterBuffer`, and a packet arriving after
///   that moment is discarded by the decoder although the network delivered it. (The minimum
///   is the running minimum, as a real receiver only knows the past.)
/// - **stale**: packets older than the window; they are treated as lost, as a call has long
///   given up on them (20 s at 50 packets/s);
/// - **lost** = expected − received. During the run `lostSoFar` uses RFC 3550 A.3's
///   expected = highest − lowest extended sequence + 1, which cannot see packets lost before
///   the first or after the last arrival; `finish(sent:firstSequence:)` uses the exact count
///   the sender sent, so tail (and head) losses are included;
/// - **loss bursts**: the lengths of runs of consecutive missing sequence numbers, settled as
///   the window slides past them and at `finish`;
/// - **interarrival jitter** (RFC 3550 6.4.1 and A.8): J += (|D(i−1,i)| − J)/16 in RTP
///   timestamp units over packets in arrival order, reported in nanoseconds.
///
/// Sequence numbers are extended to 64 bits by taking, for each arrival, the value nearest
/// the highest seen, so the 65535 → 0 wrap and reordering across it are handled; unlike A.1
/// there is no probation or resynchronisation, since the harness's own sender never restarts
/// its sequence.
///
/// `receive` does not allocate, lock or touch Foundation: state is fixed-size except the
/// loss-burst table, which reserves room for 8 distinct run lengths up front. Create each
/// receiver with its own `init()` call (not `Array(repeating:count:)`, whose copies share that
/// table until the first loss run copies it).
public struct StreamReceiver: Sendable {
    @usableFromInline let jitterBuffer: Int64
    @usableFromInline let clockRate: Double

    @usableFromInline var started = false
    /// Highest and lowest extended sequence numbers received.
    @usableFromInline var highest: Int64 = 0
    @usableFromInline var lowest: Int64 = 0
    @usableFromInline var window = ReceiptWindow()
    /// Missing sequence numbers already settled whose run has not yet been closed by an arrival.
    @usableFromInline var openRun = 0
    @usableFromInline var settledBursts = LossBursts()

    @usableFromInline var receivedCount = 0
    @usableFromInline var duplicatedCount = 0
    @usableFromInline var reorderedCount = 0
    @usableFromInline var lateCount = 0
    @usableFromInline var staleCount = 0
    @usableFromInline var lowestDelay = Int64.max

    @usableFromInline var jitterTicks = 0.0
    @usableFromInline var previousArrival: Int64 = 0
    @usableFromInline var previousTimestamp: UInt32 = 0

    /// - Parameters:
    ///   - jitterBuffer: the fixed playout buffer in nanoseconds (default 60 ms) beyond the
    ///     stream's lowest one-way delay; packets later than that count as late.
    ///   - clockRate: the RTP timestamp clock in Hz (Opus: 48000, RFC 7587).
    public init(jitterBuffer: Int64 = 60_000_000, clockRate: Int = 48_000) {
        precondition(clockRate > 0, "RTP clock rate must be positive")
        self.jitterBuffer = jitterBuffer
        self.clockRate = Double(clockRate)
    }

    /// Accounts for one packet and says what it was.
    ///
    /// - Parameters:
    ///   - sequence: its RTP sequence number.
    ///   - rtpTimestamp: its RTP timestamp.
    ///   - arrival: when it was received (monotonic nanoseconds, the sender's clock).
    ///   - sentAt: when it was sent (from `SendLog`), or `nil` if unknown; without it the packet
    ///     is counted but has no delay and is never judged late.
    @inlinable
    public mutating func receive(sequence: UInt16, rtpTimestamp: UInt32, arrival: Int64, sentAt: Int64?) -> Arrival {
        let kind: Arrival.Kind
        if !started {
            started = true
            highest = Int64(sequence)
            lowest = highest
            window.insert(highest)
            kind = .fresh
        } else {
            let extended = highest + Int64(Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: highest)))
            if extended > highest {
                slide(to: extended)
                window.insert(extended)
                highest = extended
                kind = .fresh
            } else if extended <= highest - ReceiptWindow.size {
                staleCount += 1
                return Arrival(kind: .stale, isLate: false, oneWayDelay: nil)
            } else if window.contains(extended) {
                duplicatedCount += 1
                return Arrival(kind: .duplicate, isLate: false, oneWayDelay: nil)
            } else {
                window.insert(extended)
                lowest = min(lowest, extended)
                reorderedCount += 1
                kind = .reordered
            }
        }
        receivedCount += 1
        updateJitter(rtpTimestamp: rtpTimestamp, arrival: arrival)

        guard let sentAt else { return Arrival(kind: kind, isLate: false, oneWayDelay: nil) }
        let delay = arrival - sentAt
        lowestDelay = min(lowestDelay, delay)
        let isLate = delay - lowestDelay > jitterBuffer
        if isLate { lateCount += 1 }
        return Arrival(kind: kind, isLate: isLate, oneWayDelay: delay)
    }

    /// Moves the window's top to `newHighest`, settling the sequence numbers that fall out of it.
    @inlinable
    mutating func slide(to newHighest: Int64) {
        let size = ReceiptWindow.size
        if newHighest - highest >= size {
            settle(from: highest - size + 1, through: highest)
            // Sequence numbers skipped entirely: above the old top, below the new window.
            openRun += Int(newHighest - size - highest)
        } else {
            settle(from: highest - size + 1, through: newHighest - size)
        }
    }

    /// Settles `first...last` (all inside the window): a received one closes the current loss
    /// run and frees its bit, a missing one extends the run. Numbers below the first arrival
    /// were never expected here; `finish` accounts for them.
    @inlinable
    mutating func settle(from first: Int64, through last: Int64) {
        var sequence = max(first, lowest)
        while sequence <= last {
            if window.contains(sequence) {
                window.remove(sequence)
                closeRun()
            } else {
                openRun += 1
            }
            sequence += 1
        }
    }

    @inlinable
    mutating func closeRun() {
        guard openRun > 0 else { return }
        settledBursts.record(length: openRun)
        openRun = 0
    }

    /// RFC 3550 A.8, with the arrival clock converted to RTP timestamp units.
    @inlinable
    mutating func updateJitter(rtpTimestamp: UInt32, arrival: Int64) {
        defer {
            previousArrival = arrival
            previousTimestamp = rtpTimestamp
        }
        guard receivedCount > 1 else { return }
        let arrivalTicks = Double(arrival - previousArrival) * clockRate / 1e9
        let timestampTicks = Double(Int32(bitPattern: rtpTimestamp &- previousTimestamp))
        jitterTicks += (abs(arrivalTicks - timestampTicks) - jitterTicks) / 16
    }

    // MARK: Figures so far

    /// Distinct packets received (fresh or reordered).
    public var received: Int { receivedCount }
    public var duplicated: Int { duplicatedCount }
    public var reordered: Int { reorderedCount }
    public var late: Int { lateCount }
    public var stale: Int { staleCount }

    /// RFC 3550 A.3 expected count: highest − lowest extended sequence number + 1 (0 before any
    /// packet). Packets lost before the first arrival or after the latest are not in it.
    public var expected: Int { started ? Int(highest - lowest + 1) : 0 }

    /// expected − received, for live figures; in-flight and tail losses are not included.
    public var lostSoFar: Int { max(0, expected - receivedCount) }

    /// The current RFC 3550 interarrival jitter in nanoseconds.
    public var jitter: Int64 { Int64((jitterTicks * 1e9 / clockRate).rounded()) }

    /// The current RFC 3550 interarrival jitter in RTP timestamp units, as RTCP reports it.
    public var jitterInTimestampUnits: Double { jitterTicks }

    /// The lowest one-way delay seen, the playout buffer's reference; `nil` before any.
    public var lowestOneWayDelay: Int64? { lowestDelay == .max ? nil : lowestDelay }

    // MARK: End of stream

    /// The stream's final figures, exact given what the sender sent.
    ///
    /// lost = `sent` − received: every packet sent and not received (stale ones included) is
    /// lost, wherever it fell, so losses after the last arrival count too. Loss runs are
    /// completed the same way: the run before the first arrival (from `firstSequence`), the
    /// runs still inside the window, and the run after the last arrival up to the `sent`-th packet.
    ///
    /// - Parameters:
    ///   - sent: how many packets the sender sent on this stream.
    ///   - firstSequence: the sequence number of the first of them; later ones are assumed
    ///     consecutive (RTP senders increment by one).
    public func finish(sent: Int, firstSequence: UInt16) -> StreamTotals {
        var bursts = settledBursts
        if started {
            var settling = self
            settling.settle(from: highest - ReceiptWindow.size + 1, through: highest)
            bursts = settling.settledBursts
            let beforeFirstArrival = Int(UInt16(truncatingIfNeeded: lowest) &- firstSequence)
            let lastSent = lowest - Int64(beforeFirstArrival) + Int64(sent) - 1
            bursts.record(length: beforeFirstArrival)
            bursts.record(length: Int(max(0, lastSent - highest)))
        } else {
            bursts.record(length: sent)
        }
        return StreamTotals(
            sent: sent,
            received: receivedCount,
            duplicated: duplicatedCount,
            reordered: reorderedCount,
            late: lateCount,
            stale: staleCount,
            lost: max(0, sent - receivedCount),
            lossBursts: bursts,
            jitter: receivedCount > 1 ? jitter : nil
        )
    }
}
