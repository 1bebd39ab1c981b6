// The part of autocannon's API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  interface Histogram { average: number; p50: number; p90: number; p99: number; max: number }
  export interface Result {
    latency: Histogram; requests: Histogram; duration: number; errors: number; timeouts: number; non2xx: number;
    '2xx': number; statusCodeStats: Record<string, { count: number }>;
  }
  export default function autocannon(opts: Record<string, unknown>): Promise<Result>;
}
