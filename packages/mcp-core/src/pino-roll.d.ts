declare module 'pino-roll' {
  import type { EventEmitter } from 'node:events';
  interface RollStream extends EventEmitter {
    write(data: string): boolean;
    end(): void;
  }
  interface PinoRollOptions {
    file: string;
    size?: string | number;
    frequency?: string | number;
    extension?: string;
    symlink?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    mkdir?: boolean;
  }
  export default function roll(options: PinoRollOptions): Promise<RollStream>;
}
