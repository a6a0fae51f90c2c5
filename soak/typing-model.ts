/**
 * How a simulated person types: one character per keystroke at a steady personal rate (2 to 5
 * keys/s) in bursts separated by pauses, at a caret that moves with other people's edits and
 * sometimes jumps elsewhere; some backspaces, and now and then a line selected and deleted, more
 * often once the document is long so rooms stay around {@link TYPING.targetLength} characters.
 * Pure: randomness comes from the `Rng` passed in.
 */

export type Rng = () => number;

/** A small fast seeded generator (mulberry32), so a typist's choices can be replayed. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const TYPING = {
  /** Each typist's own speed while typing, keys per second. */
  keysPerSecond: [2, 5],
  burstKeys: [20, 60],
  pauseMs: [2_000, 8_000],
  /** At a burst start, how often the caret jumps to a random place (a click). */
  jumpAtBurst: 0.5,
  backspace: 0.05,
  /** Once the text is longer than targetLength: chance per key to delete the line before. */
  lineDelete: 0.04,
  lineDeleteMaxChars: 160,
  targetLength: 1_500,
} as const;

const between = (rng: Rng, [low, high]: readonly [number, number]) => low + rng() * (high - low);

/** The pace of one typist: delays between keystrokes, with pauses between bursts. */
export class TypingRhythm {
  readonly keysPerSecond: number;
  #left = 0;

  constructor(private readonly rng: Rng) {
    this.keysPerSecond = between(rng, TYPING.keysPerSecond);
  }

  /** Delay before the next keystroke, and whether it starts a new burst. */
  next(): { delayMs: number; burstStart: boolean } {
    if (this.#left > 0) {
      this.#left--;
      return { delayMs: 1000 / this.keysPerSecond, burstStart: false };
    }
    this.#left = Math.round(between(this.rng, TYPING.burstKeys)) - 1;
    return { delayMs: between(this.rng, TYPING.pauseMs), burstStart: true };
  }
}

export type Keystroke =
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number };

const LETTERS = 'etaoinshrdlucmfwypvbgkqjxz';

function character(rng: Rng): string {
  const r = rng();
  if (r < 0.02) return '\n';
  if (r < 0.2) return ' ';
  return LETTERS[Math.floor(rng() * rng() * LETTERS.length)] as string;
}

/** The next keystroke for a caret at `cursor` in a text of `length` characters. */
export function chooseKeystroke(
  rng: Rng,
  length: number,
  cursor: number,
  burstStart: boolean,
): Keystroke {
  const at = burstStart && rng() < TYPING.jumpAtBurst ? Math.floor(rng() * (length + 1)) : cursor;
  const r = rng();
  if (length > TYPING.targetLength && r < TYPING.lineDelete && at > 0) {
    const span = Math.min(at, 1 + Math.floor(rng() * TYPING.lineDeleteMaxChars));
    return { kind: 'delete', at: at - span, length: span };
  }
  if (r > 1 - TYPING.backspace && at > 0) return { kind: 'delete', at: at - 1, length: 1 };
  return { kind: 'insert', at, text: character(rng) };
}
