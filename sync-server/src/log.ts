const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof levels;

export interface Logger {
  info(msg: string, extra?: object): void;
  warn(msg: string, extra?: object): void;
  error(msg: string, err?: unknown): void;
}

/** One JSON object a line on stdout, as the cluster's log collector expects. */
export function createLogger(level: LogLevel): Logger {
  const write = (l: LogLevel, msg: string, extra?: object) => {
    if (levels[l] < levels[level]) return;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: l, msg, ...extra })}\n`);
  };
  return {
    info: (msg, extra) => write('info', msg, extra),
    warn: (msg, extra) => write('warn', msg, extra),
    error: (msg, err) => write('error', msg, { error: err instanceof Error ? err.stack ?? err.message : String(err) }),
  };
}
