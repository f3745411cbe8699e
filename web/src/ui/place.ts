/** The place of an address as the server names it (server/src/platform/geo.ts), in both languages. */
export type PlaceView = { kind: string; zh: string; en: string };

/** The place's name in the page's language ("北京" / "Beijing"); the server sends both, so a switch keeps it. */
export function placeName(place: PlaceView | null | undefined, language: string): string {
  if (!place) return '';
  return language.startsWith('en') ? place.en : place.zh;
}
