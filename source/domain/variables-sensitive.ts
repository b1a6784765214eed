/*
 * Sensitive variables in substituted text: a reference to one becomes a marker (never its value), which the
 * template builder turns into an ECS secret or a NoEcho parameter, and which is shown as asterisks.
 */

const markerOpen = '\u0000sensitive:';
const markerClose = '\u0000';

/** The marker that stands in for a sensitive variable in substituted text. */
export function sensitiveMarker(name: string): string {
	return `${markerOpen}${name}${markerClose}`;
}

export type TextPart = {kind: 'text'; text: string} | {kind: 'sensitive'; name: string};

/** Splits substituted text into plain text and sensitive references. */
export function splitSensitive(text: string): TextPart[] {
	const parts: TextPart[] = [];
	let rest = text;
	for (;;) {
		const start = rest.indexOf(markerOpen);
		if (start < 0) break;
		const end = rest.indexOf(markerClose, start + markerOpen.length);
		if (end < 0) break;
		if (start > 0) parts.push({kind: 'text', text: rest.slice(0, start)});
		parts.push({kind: 'sensitive', name: rest.slice(start + markerOpen.length, end)});
		rest = rest.slice(end + markerClose.length);
	}
	if (rest !== '' || parts.length === 0) parts.push({kind: 'text', text: rest});
	return parts;
}

export function containsSensitive(text: string): boolean {
	return text.includes(markerOpen);
}

/** Replaces sensitive markers with asterisks, for display. */
export function redact(text: string): string {
	return splitSensitive(text)
		.map(part => (part.kind === 'text' ? part.text : '******'))
		.join('');
}
