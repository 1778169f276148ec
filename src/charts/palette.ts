/**
 * Colours: the Okabe–Ito palette, distinguishable with the common forms of colour blindness
 * (Okabe & Ito, "Color Universal Design", 2008). Series and fault shading use the same eight colours;
 * shading is translucent and lines are opaque, so the two never read as each other.
 */
export const OKABE_ITO = {
  black: "#000000",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  bluishGreen: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  reddishPurple: "#CC79A7",
} as const;

/** Line colours in order of use: the strongest contrasts on white first, yellow last. */
const SERIES_ORDER: readonly string[] = [
  OKABE_ITO.blue, OKABE_ITO.orange, OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue, OKABE_ITO.vermillion, OKABE_ITO.black, OKABE_ITO.yellow,
];

/** Fixed colours for the known fault types, so a crash looks the same in every chart of the course. */
const FAULT_COLOURS: Readonly<Record<string, string>> = {
  crash: OKABE_ITO.vermillion,
  partition: OKABE_ITO.reddishPurple,
  cut: OKABE_ITO.orange,
  slow: OKABE_ITO.skyBlue,
  "domain-failure": OKABE_ITO.black,
  "disk-loss": OKABE_ITO.bluishGreen,
  "random-crashes": OKABE_ITO.vermillion,
  "random-crash": OKABE_ITO.vermillion, // the engine's name for one random crash window
};

/** Fallbacks for fault types this table does not know yet. */
const OTHER_FAULT_COLOURS: readonly string[] = [OKABE_ITO.blue, OKABE_ITO.yellow, OKABE_ITO.skyBlue];

/** Colour of the i-th series of a chart (wraps after eight). */
export function seriesColour(index: number): string {
  return SERIES_ORDER[index % SERIES_ORDER.length];
}

/** Colour of a fault type: fixed for known types, a stable pick from the name for others. */
export function faultColour(type: string): string {
  const known = FAULT_COLOURS[type];
  if (known !== undefined) return known;
  let hash = 0;
  for (let i = 0; i < type.length; i++) hash = (hash * 31 + type.charCodeAt(i)) >>> 0;
  return OTHER_FAULT_COLOURS[hash % OTHER_FAULT_COLOURS.length];
}
