export interface ServerGeneratorSchema {
  name: string;
  description?: string;
  /** Leave pnpm-lock.yaml and node_modules alone (the caller runs pnpm install). */
  skipInstall?: boolean;
}
