/** Types for scripts/build.mjs, imported by test/global-setup.ts. */
export declare const ROOT: string;
export declare function newestSourceMtime(dir?: string): number;
export declare function isStale(): boolean;
export declare function buildJs(options?: { clean?: boolean }): Promise<number>;
export declare function buildTypes(): void;
