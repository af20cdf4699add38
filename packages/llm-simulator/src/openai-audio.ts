import { type ProviderWireFormat, type RouteContext, usageOf } from './provider.ts';
import { startSse, writeSse } from './sse.ts';
import type { MultipartFile } from './types.ts';

/**
 * The OpenAI audio endpoints: speech to text (`/audio/transcriptions`, `/audio/translations`, multipart uploads)
 * and text to speech (`/audio/speech`). Usage is reported as the API does (openai-node 7 types): whisper-1 bills
 * the input audio's duration (`usage: {type: 'duration', seconds}`; verbose_json also `duration`), the
 * gpt-4o transcribe models bill tokens (`usage: {type: 'tokens', input_tokens, input_token_details, ...}`, in a
 * stream on `transcript.text.done`); text/srt/vtt answers are plain text without usage. Speech answers with the
 * audio bytes (no usage), or with `stream_format: 'sse'` with `speech.audio.delta` events and a final
 * `speech.audio.done` that carries the token usage.
 */

const TEXT = 'Hello from the simulator.';

/** Bytes per second assumed for audio that is not WAV: a 128 kbit/s MP3. */
const COMPRESSED_BYTES_PER_SECOND = 16_000;

function isFile(value: unknown): value is MultipartFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as MultipartFile).data);
}

/** The duration of a PCM WAV file from its `fmt ` byte rate and `data` size, else undefined. */
function wavSeconds(data: Buffer): number | undefined {
  if (data.length < 12 || data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') {
    return undefined;
  }
  let byteRate: number | undefined;
  for (let at = 12; at + 8 <= data.length; ) {
    const id = data.toString('ascii', at, at + 4);
    const size = data.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 16 <= data.length) byteRate = data.readUInt32LE(at + 16);
    if (id === 'data') return byteRate ? size / byteRate : undefined;
    at += 8 + size + (size % 2);
  }
  return undefined;
}

/** Seconds of the uploaded audio: exact for WAV, estimated from the size for compressed formats. */
function audioSeconds(file: unknown): number {
  if (!isFile(file)) return 0;
  return wavSeconds(file.data) ?? file.data.length / COMPRESSED_BYTES_PER_SECOND;
}

const modelOf = (ctx: RouteContext, fallback: string): string => ctx.reply.model ?? ctx.request.body?.model ?? fallback;

/** whisper-1 (and other duration-billed models) report seconds; the gpt-4o transcribe models report tokens. */
const billedByDuration = (model: string): boolean => model.startsWith('whisper');

/** Token usage of a transcription: all input audio unless scripted (the prompt, if any, is the text part). */
function tokenUsage(ctx: RouteContext) {
  const u = usageOf(ctx.reply);
  const audio = Math.min(ctx.reply.usage?.inputAudioTokens ?? u.inputTokens, u.inputTokens);
  return {
    type: 'tokens',
    input_tokens: u.inputTokens,
    input_token_details: { text_tokens: u.inputTokens - audio, audio_tokens: audio },
    output_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

/** Whole seconds billed (the API reports the duration rounded up in `usage.seconds`). */
const durationUsage = (seconds: number) => ({ type: 'duration', seconds: Math.ceil(seconds) });

function textOf(ctx: RouteContext): string {
  const content = ctx.reply.content;
  return Array.isArray(content) ? content.join('') : (content ?? TEXT);
}

function subtitles(format: string, text: string, seconds: number): string {
  const stamp = (s: number, sep: string) => {
    const ms = Math.round(s * 1000);
    const hh = String(Math.floor(ms / 3_600_000)).padStart(2, '0');
    const mm = String(Math.floor(ms / 60_000) % 60).padStart(2, '0');
    const ss = String(Math.floor(ms / 1000) % 60).padStart(2, '0');
    return `${hh}:${mm}:${ss}${sep}${String(ms % 1000).padStart(3, '0')}`;
  };
  if (format === 'srt') return `1\n${stamp(0, ',')} --> ${stamp(seconds, ',')}\n${text}\n\n`;
  if (format === 'vtt') return `WEBVTT\n\n${stamp(0, '.')} --> ${stamp(seconds, '.')}\n${text}\n\n`;
  return `${text}\n`;
}

/** One speech-to-text answer: `task` is `transcribe` or `translate`. */
async function speechToText(ctx: RouteContext, task: 'transcribe' | 'translate'): Promise<void> {
  const body = ctx.request.body ?? {};
  const model = modelOf(ctx, 'whisper-1');
  const seconds = audioSeconds(body.file);
  const format = typeof body.response_format === 'string' ? body.response_format : 'json';
  const text = textOf(ctx);
  const headers = { 'x-request-id': ctx.nextId('req_'), ...ctx.reply.headers };
  const byDuration = billedByDuration(model);
  const withUsage = !ctx.reply.omitUsage;
  const usage = byDuration ? durationUsage(seconds) : tokenUsage(ctx);

  // Streaming is for the gpt-4o transcribe models (whisper-1 ignores `stream`); multipart sends it as text.
  if (task === 'transcribe' && String(body.stream) === 'true' && !byDuration) {
    startSse(ctx.res, headers);
    const chunks = Array.isArray(ctx.reply.content) ? ctx.reply.content : [text];
    for (const delta of chunks) writeSse(ctx.res, { type: 'transcript.text.delta', delta });
    writeSse(ctx.res, { type: 'transcript.text.done', text, ...(withUsage ? { usage } : {}) });
    ctx.res.end();
    return;
  }
  if (format === 'text' || format === 'srt' || format === 'vtt') {
    ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    ctx.res.end(subtitles(format, text, seconds));
    return;
  }
  const verbose =
    format === 'verbose_json'
      ? {
          task,
          language: 'english',
          duration: seconds,
          segments: [
            {
              id: 0,
              seek: 0,
              start: 0,
              end: seconds,
              text,
              tokens: [50364, 2425, 50414],
              temperature: 0,
              avg_logprob: -0.25,
              compression_ratio: 0.9,
              no_speech_prob: 0.01,
            },
          ],
        }
      : {};
  // Translations report no usage block (openai-node Translation / TranslationVerbose): only verbose_json's duration.
  const usageBlock = withUsage && task === 'transcribe' ? { usage } : {};
  ctx.res.writeHead(200, { 'content-type': 'application/json', ...headers });
  ctx.res.end(JSON.stringify({ ...verbose, text, ...usageBlock }));
}

/** Text to speech: the audio bytes, or (gpt-4o-mini-tts, `stream_format: 'sse'`) audio events ending with usage. */
function speech(ctx: RouteContext): void {
  const body = ctx.request.body ?? {};
  const model = modelOf(ctx, 'tts-1');
  const headers = { 'x-request-id': ctx.nextId('req_'), ...ctx.reply.headers };
  const audio = Buffer.from('not really audio');
  if (body.stream_format === 'sse') {
    if (model.startsWith('tts-1')) {
      ctx.res.writeHead(400, { 'content-type': 'application/json', ...headers });
      ctx.res.end(
        JSON.stringify({
          error: {
            message: `stream_format 'sse' is not supported for ${model}`,
            type: 'invalid_request_error',
            param: 'stream_format',
            code: 'unsupported_value',
          },
        }),
      );
      return;
    }
    const u = usageOf(ctx.reply);
    startSse(ctx.res, headers);
    writeSse(ctx.res, { type: 'speech.audio.delta', audio: audio.toString('base64') });
    writeSse(ctx.res, {
      type: 'speech.audio.done',
      ...(ctx.reply.omitUsage
        ? {}
        : {
            usage: {
              input_tokens: u.inputTokens,
              output_tokens: u.outputTokens,
              total_tokens: u.inputTokens + u.outputTokens,
            },
          }),
    });
    ctx.res.end();
    return;
  }
  const format = typeof body.response_format === 'string' ? body.response_format : 'mp3';
  const type = format === 'mp3' ? 'audio/mpeg' : format === 'pcm' ? 'audio/pcm' : `audio/${format}`;
  ctx.res.writeHead(200, { 'content-type': type, 'transfer-encoding': 'chunked', ...headers });
  ctx.res.end(audio);
}

export const openaiAudioRoutes: ProviderWireFormat['routes'] = {
  '/audio/transcriptions': (ctx) => speechToText(ctx, 'transcribe'),
  '/audio/translations': (ctx) => speechToText(ctx, 'translate'),
  '/audio/speech': speech,
};
