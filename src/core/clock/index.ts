/** Time is stored as ISO-8601 UTC text and shown in the commune's zone. */
export const TIME_ZONE = 'Africa/Casablanca';

export interface Clock { now(): Date }
export const systemClock: Clock = { now: () => new Date() };

export function iso(d: Date = new Date()): string {
  return d.toISOString();
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}
