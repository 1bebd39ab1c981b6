/** scripts/build.mjs: bundles `entry` into `outfile` (relative to the project root); resolves to the output's absolute path. */
export function build(entry?: string, outfile?: string): Promise<string>;
