import pino, { Logger } from 'pino';
import { maskPersonalDataInText } from '../personal-data/masking';

export type { Logger };

/**
 * Structured logs. Personal data must never reach them: the redact list is a safety net for
 * field names that could carry it, not a licence to log whole records.
 */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'xinfang-bot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // A database error's message carries the SQL with its values; mask ID numbers and phones in it.
      serializers: { err: maskedErr, error: maskedErr },
      redact: {
        paths: [
          'idNumber', '*.idNumber', 'id_number', '*.id_number', 'phone', '*.phone',
          'text', '*.text', 'formValue', '*.formValue', 'content', '*.content',
          'req.headers.authorization', 'req.headers["x-console-token"]',
        ],
        censor: '[已屏蔽]',
      },
    },
    destination,
  );
}

function maskedErr(err: unknown): unknown {
  const e = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!e || typeof e !== 'object') return e;
  for (const k of ['message', 'stack', 'sql', 'sqlMessage']) {
    if (typeof e[k] === 'string') e[k] = maskPersonalDataInText(e[k] as string);
  }
  if ('bindings' in e) delete e.bindings;
  return e;
}
