import { crc32 } from 'node:zlib';

/**
 * `application/vnd.amazon.eventstream` framing (Bedrock's ConverseStream and InvokeModelWithResponseStream):
 * message = prelude (total length u32, headers length u32, prelude CRC32 u32) + headers + payload + message CRC32
 * (u32, over everything before it). Header: name length u8, name, type u8 (7 = string), value length u16, value.
 */

function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(7, 1 + n.length);
    h.writeUInt16BE(v.length, 2 + n.length);
    v.copy(h, 4 + n.length);
    parts.push(h);
  }
  return Buffer.concat(parts);
}

export function encodeEventStreamMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const h = encodeHeaders(headers);
  const total = 12 + h.length + payload.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(h.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  h.copy(out, 12);
  Buffer.from(payload).copy(out, 12 + h.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

/** One JSON event of the stream (`:event-type` names the union member, e.g. `contentBlockDelta`, `chunk`). */
export function eventMessage(eventType: string, body: unknown): Buffer {
  return encodeEventStreamMessage(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify(body), 'utf8'),
  );
}

/** An InvokeModelWithResponseStream `chunk` event: the model's own JSON event, base64 in `bytes`. */
export function chunkMessage(event: unknown): Buffer {
  return eventMessage('chunk', { bytes: Buffer.from(JSON.stringify(event)).toString('base64') });
}
