import { describe, expect, it } from 'vitest';
import { encodeData, encodePortPrefix, PortForwardDecoder, PF_CHANNEL } from './frames';

describe('port-forward framing', () => {
  it('prefixes client data with the data channel byte and nothing else', () => {
    expect([...encodeData(Buffer.from('GET /'))]).toEqual([0, 71, 69, 84, 32, 47]);
    expect([...encodeData(Buffer.alloc(0))]).toEqual([0]);
  });

  it('writes the port little-endian after the channel byte', () => {
    expect([...encodePortPrefix(1, 8080)]).toEqual([1, 0x90, 0x1f]);
    expect([...encodePortPrefix(0, 65535)]).toEqual([0, 0xff, 0xff]);
  });

  it('drops each channel’s port prefix once and passes later payloads whole', () => {
    const decoder = new PortForwardDecoder();
    expect(decoder.decode(Buffer.from([0, 0x90, 0x1f]))).toBeUndefined();
    expect(decoder.decode(Buffer.from([1, 0x90, 0x1f]))).toBeUndefined();
    expect(decoder.ports).toEqual(new Map([[0, 8080], [1, 8080]]));
    // Bytes that look like a port after the prefix are data.
    expect(decoder.decode(Buffer.from([0, 0x90, 0x1f, 65]))).toEqual({ channel: PF_CHANNEL.data, payload: Buffer.from([0x90, 0x1f, 65]) });
    expect(decoder.decode(Buffer.from([1, ...Buffer.from('refused')]))).toEqual({ channel: PF_CHANNEL.error, payload: Buffer.from('refused') });
  });

  it('handles a prefix split over messages and payload in the same message as the prefix', () => {
    const decoder = new PortForwardDecoder();
    expect(decoder.decode(Buffer.from([0, 0x50]))).toBeUndefined();
    expect(decoder.ports.has(0)).toBe(false);
    expect(decoder.decode(Buffer.from([0, 0x00, 104, 105]))).toEqual({ channel: 0, payload: Buffer.from('hi') });
    expect(decoder.ports.get(0)).toBe(80);
  });

  it('ignores empty messages', () => {
    expect(new PortForwardDecoder().decode(Buffer.alloc(0))).toBeUndefined();
  });
});
