import { usageOf } from './provider.ts';
import type { RecordedRequest, ScriptedReply } from './types.ts';

/** One Anthropic Message as the Messages API and Message Batches results write it (see anthropic.ts for the usage mapping). */

/**
 * The tier reported as served (`usage.service_tier`): a scripted `serviceTier` wins (`priority` where the
 * organization has Priority Tier capacity, `batch` for Message Batches results), except that a request with
 * `service_tier: 'standard_only'` is never served at priority. Default `standard`. (Requests may only ask
 * for `auto` or `standard_only`.)
 */
function servedTier(reply: ScriptedReply, body: RecordedRequest['body']): string {
  const scripted = reply.serviceTier;
  if (scripted === 'priority' && body?.service_tier === 'standard_only') return 'standard';
  return scripted ?? 'standard';
}

interface ServerToolUse {
  web_search_requests: number;
  web_fetch_requests: number;
}

/** The server tools the request offers, each used `max_uses` times (default 1); null when it offers none. */
export function serverToolUse(body: RecordedRequest['body']): ServerToolUse | null {
  const tools: unknown[] = Array.isArray(body?.tools) ? body.tools : [];
  const used = { web_search_requests: 0, web_fetch_requests: 0 };
  let offered = false;
  for (const tool of tools as { type?: unknown; max_uses?: unknown }[]) {
    const type = typeof tool?.type === 'string' ? tool.type : '';
    const uses = typeof tool.max_uses === 'number' ? tool.max_uses : 1;
    if (type.startsWith('web_search_')) used.web_search_requests += uses;
    else if (type.startsWith('web_fetch_')) used.web_fetch_requests += uses;
    else continue;
    offered = true;
  }
  return offered ? used : null;
}

export function anthropicUsage(reply: ScriptedReply, body?: RecordedRequest['body']) {
  const u = usageOf(reply);
  const write1h = u.cacheWrite1hTokens;
  return {
    input_tokens: u.inputTokens - u.cachedTokens - u.cacheWriteTokens,
    cache_creation_input_tokens: u.cacheWriteTokens,
    cache_read_input_tokens: u.cachedTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: u.cacheWriteTokens - write1h,
      ephemeral_1h_input_tokens: write1h,
    },
    output_tokens: u.outputTokens,
    output_tokens_details: u.reasoningTokens ? { thinking_tokens: u.reasoningTokens } : null,
    server_tool_use: serverToolUse(body),
    service_tier: servedTier(reply, body),
    // Messages API: `fast` when the request asked for fast mode (`speed: 'fast'`), else standard.
    ...(body !== undefined ? { speed: body?.speed === 'fast' ? 'fast' : 'standard' } : {}),
  };
}

export function textOf(reply: ScriptedReply): string[] {
  if (Array.isArray(reply.content)) return reply.content;
  return [reply.content ?? 'Hello from the simulator.'];
}

export function stopReason(reply: ScriptedReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? 'tool_use' : 'end_turn');
}

export interface Block {
  type: string;
  [key: string]: unknown;
}

/** The content blocks of a reply to `body` (a Messages request, or a Message Batches request's params). */
export function blocks(
  reply: ScriptedReply,
  body: RecordedRequest['body'],
  nextId: (prefix: string) => string,
): Block[] {
  const thinking = body?.thinking?.type === 'enabled';
  const out: Block[] = [];
  if (thinking) out.push({ type: 'thinking', thinking: 'Let me think.', signature: 'sig_sim' });
  for (let i = 0; i < (serverToolUse(body)?.web_search_requests ?? 0); i++) {
    const id = nextId('srvtoolu_');
    out.push({ type: 'server_tool_use', id, name: 'web_search', input: { query: 'simulated query' } });
    out.push({
      type: 'web_search_tool_result',
      tool_use_id: id,
      content: [
        {
          type: 'web_search_result',
          url: 'https://example.com/',
          title: 'Example Domain',
          encrypted_content: 'enc_sim',
          page_age: null,
        },
      ],
    });
  }
  out.push({ type: 'text', text: textOf(reply).join('') });
  for (const call of reply.toolCalls ?? []) {
    out.push({
      type: 'tool_use',
      id: nextId('toolu_'),
      name: call.name,
      input: JSON.parse(call.arguments || '{}'),
    });
  }
  return out;
}

/** A complete Message (`usage` left out when undefined). */
export function messageObject(id: string, model: string, reply: ScriptedReply, content: Block[], usage?: object) {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason(reply),
    stop_sequence: null,
    ...(usage ? { usage } : {}),
  };
}
