/** Reads the standard OTEL_* variables that init() needs to know itself (exporters read the rest). */

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export function envProtocol(signal: 'TRACES' | 'METRICS'): string | undefined {
  return process.env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] ?? process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
}

export function envMetricInterval(): number | undefined {
  const raw = process.env.OTEL_METRIC_EXPORT_INTERVAL;
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The OTLP spec's default export timeout, used when neither init() nor OTEL_EXPORTER_OTLP_*TIMEOUT sets one. */
export const DEFAULT_EXPORT_TIMEOUT_MS = 10_000;

/** OTEL_EXPORTER_OTLP_{TRACES,METRICS}_TIMEOUT, else OTEL_EXPORTER_OTLP_TIMEOUT (ms), as the OTLP exporters read them. */
export function envExportTimeout(signal: 'TRACES' | 'METRICS'): number | undefined {
  for (const name of [`OTEL_EXPORTER_OTLP_${signal}_TIMEOUT`, 'OTEL_EXPORTER_OTLP_TIMEOUT']) {
    const raw = process.env[name];
    const n = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
    if (Number.isFinite(n) && n > 0) return n;
  }
  return undefined;
}

/** The value of the first of `keys` set in OTEL_RESOURCE_ATTRIBUTES, if any. */
export function envResourceAttribute(...keys: string[]): string | undefined {
  const raw = process.env.OTEL_RESOURCE_ATTRIBUTES;
  if (!raw) return undefined;
  for (const pair of raw.split(',')) {
    const [k, ...v] = pair.split('=');
    if (k !== undefined && keys.includes(k.trim())) {
      try {
        return decodeURIComponent(v.join('=').trim());
      } catch {
        return v.join('=').trim();
      }
    }
  }
  return undefined;
}

/** deployment.environment.name from OTEL_RESOURCE_ATTRIBUTES, if set there. */
export function envEnvironment(): string | undefined {
  return envResourceAttribute('deployment.environment.name', 'deployment.environment');
}

/** service.version from OTEL_RESOURCE_ATTRIBUTES, if set there. */
export function envServiceVersion(): string | undefined {
  return envResourceAttribute('service.version');
}

/** Where a signal goes, for messages: the exporter itself resolves the same order. */
export function describeEndpoint(signal: 'traces' | 'metrics', base: string | undefined): string {
  if (base) return `${base.replace(/\/+$/, '')}/v1/${signal}`;
  const specific = process.env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`];
  if (specific) return specific;
  const general = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return `${(general ?? 'http://localhost:4318').replace(/\/+$/, '')}/v1/${signal}`;
}
