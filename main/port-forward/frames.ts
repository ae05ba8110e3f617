/**
 * Framing of the Kubernetes port-forward WebSocket protocol (`v4.channel.k8s.io`, which the
 * kubelet's streaming server speaks for `pods/portforward`). Every binary message starts with a
 * channel byte. With one port per connection, as Slipway asks, channel 0 carries data both ways
 * and channel 1 carries the server's error text. The server starts each channel with the
 * forwarded port as two little-endian bytes before any payload; the client sends no such prefix.
 */

/** Offered newest first. The kubelet answers v4 today; v5 adds only a close channel we never send. */
export const PORT_FORWARD_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export const PF_CHANNEL = { data: 0, error: 1 } as const;

/** A message for the data channel of the (only) forwarded port. */
export function encodeData(payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([PF_CHANNEL.data]), payload]);
}

export interface DecodedFrame {
  channel: number;
  payload: Buffer;
}

/**
 * Splits server messages into channel payloads, dropping each channel's two-byte port prefix
 * (even when it arrives split over messages) and reporting the port it named.
 */
export class PortForwardDecoder {
  /** Prefix bytes still to drop per channel, and the bytes seen so far. */
  private readonly prefix = new Map<number, number[]>();
  /** The port each channel announced, once its prefix is complete. */
  readonly ports = new Map<number, number>();

  decode(message: Buffer): DecodedFrame | undefined {
    if (message.length === 0) return undefined;
    const channel = message[0]!;
    let payload = message.subarray(1);
    if (!this.ports.has(channel)) {
      const seen = this.prefix.get(channel) ?? [];
      while (seen.length < 2 && payload.length > 0) {
        seen.push(payload[0]!);
        payload = payload.subarray(1);
      }
      this.prefix.set(channel, seen);
      if (seen.length < 2) return undefined;
      this.ports.set(channel, seen[0]! | (seen[1]! << 8));
      this.prefix.delete(channel);
    }
    return payload.length > 0 ? { channel, payload } : undefined;
  }
}

/** The server's opening frame of a channel: its channel byte, then the port little-endian. */
export function encodePortPrefix(channel: number, port: number): Buffer {
  return Buffer.from([channel, port & 0xff, (port >> 8) & 0xff]);
}
