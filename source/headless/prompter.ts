import {printable} from '../domain/text.js';
import type {ChooseQuestion, ConfirmQuestion, EnterQuestion} from '../engine/core/host.js';

/** Asks the operator on the terminal; used by headless commands when a flag does not answer. */
export type Prompter = {
	confirm(question: ConfirmQuestion): Promise<boolean>;
	choose(question: ChooseQuestion): Promise<string>;
	/** Sensitive values are masked and never echoed. */
	enter(question: EnterQuestion): Promise<string>;
};

/** The terminal a prompter asks on: keys from `input`, questions on `output` (stderr). */
export type PromptStreams = {input: NodeJS.ReadableStream; output: NodeJS.WritableStream};

/**
 * Prompts on stderr (stdout stays the command's output), with Inquirer's prompts, loaded only when a question
 * is asked. Ctrl+C while asking ends the question with "no" (nothing is changed).
 */
export function terminalPrompter(streams: PromptStreams): Prompter {
	const context = {input: streams.input, output: streams.output, clearPromptOnDone: false};
	const aborted = (error: unknown) => (error as {name?: string}).name === 'ExitPromptError';
	return {
		async confirm(question) {
			const {default: confirm} = await import('@inquirer/confirm');
			// Questions quote recipe values and AWS names: through the same filter as every other line.
			const detail = question.detail && question.detail.length > 0 ? `${question.detail.map(l => `  ${printable(l)}`).join('\n')}\n` : '';
			if (detail) streams.output.write(detail);
			try {
				return await confirm({message: printable(question.message), default: question.defaultAnswer}, context);
			} catch (error) {
				if (aborted(error)) return false;
				throw error;
			}
		},
		async choose(question) {
			const {default: select} = await import('@inquirer/select');
			const detail = question.detail && question.detail.length > 0 ? `${question.detail.map(l => `  ${printable(l)}`).join('\n')}\n` : '';
			if (detail) streams.output.write(detail);
			try {
				return await select(
					{
						message: printable(question.message),
						choices: question.choices.map(c => ({value: c.value, name: printable(c.label), ...(c.hint ? {description: printable(c.hint)} : {})})),
						...(question.defaultAnswer === undefined ? {} : {default: question.defaultAnswer}),
					},
					// A question withdrawn while on screen (an approval answered elsewhere) is taken down.
					{...context, ...(question.withdrawn ? {signal: question.withdrawn} : {})},
				);
			} catch (error) {
				const name = (error as {name?: string}).name;
				if (name === 'AbortPromptError' && question.defaultAnswer !== undefined) return question.defaultAnswer;
				throw error;
			}
		},
		async enter(question) {
			const {default: password} = await import('@inquirer/password');
			return password({message: printable(question.message), mask: question.sensitive ? '*' : false, validate: value => question.validate?.(value) ?? true}, context);
		},
	};
}

/** Whether prompts can be shown: both stdin and stderr are terminals. */
export function canPrompt(stdin: {isTTY?: boolean}, stderr: {isTTY?: boolean}): boolean {
	return Boolean(stdin.isTTY) && Boolean(stderr.isTTY);
}
