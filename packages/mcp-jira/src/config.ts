import { CoreConfigSchema, readPackageInfo, type z } from '@org/mcp-core';

/** Package name and version, read from package.json. */
export const packageInfo = readPackageInfo(import.meta.url);

/** Every environment variable the server reads (the shared MCP_* ones included). */
export const ConfigSchema = CoreConfigSchema.extend({});

export type Config = z.infer<typeof ConfigSchema>;
