/**
 * Structured JSON logs (pino) on stderr, so stdout carries only the "relay listening" line.
 * The logger is created once in main.ts and injected; nothing logs through a global.
 */
import pino from 'pino';
import type { LogLevel } from './config';

export type Logger = pino.Logger;

/** A logger writing JSON lines to `fd` (stderr by default), synchronously so none are lost on exit. */
export function createLogger(level: LogLevel, fd = 2): Logger {
  return pino({ level, base: { service: 'relay' } }, pino.destination({ fd, sync: true }));
}

/** A logger that drops everything, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
