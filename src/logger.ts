import pino, { Logger } from 'pino';

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
