import {Text} from 'ink';
import {Fragment} from 'react';
import type {WizardStep} from './use-target-wizard.js';

/** The steps as the bar names them: the profile and role steps are part of "credentials". */
const shown = ['name', 'credentials', 'region', 'cluster', 'environments', 'tags', 'verify'] as const;

function barStep(step: WizardStep): (typeof shown)[number] {
	return step === 'profile' || step === 'role' ? 'credentials' : step;
}

/** One row: `1 name  2 credentials  3 region …` (77 columns), the current step highlighted, the ones behind it in green. */
export function StepBar({step}: {step: WizardStep}) {
	const current = shown.indexOf(barStep(step));
	return (
		<Text wrap="truncate">
			{shown.map((name, index) => (
				<Fragment key={name}>
					{index > 0 ? <Text>  </Text> : null}
					<Text bold={index === current} color={index === current ? 'cyan' : index < current ? 'green' : undefined} dimColor={index > current}>
						{index + 1} {name}
					</Text>
				</Fragment>
			))}
		</Text>
	);
}
