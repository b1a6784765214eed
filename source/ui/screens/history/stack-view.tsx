import {Text} from 'ink';
import type {StackDetails} from '../../../engine/history/stack-details.js';
import {ListRows} from '../../components/list-rows.js';
import type {ListController} from '../../lists/use-list.js';
import type {Load} from './history-reducer.js';
import type {StackLine} from './history-rows.js';
import {Failure, Loading} from './load-notice.js';

const tones = {bad: 'red', good: 'green', dim: 'gray'} as const;

/**
 * View 3: the stack as one scrollable page: status, outputs, parameters (NoEcho values as ****), resources
 * and the template CloudFormation has now. `/` searches it; Enter shows a line whole.
 */
export function StackView({list, load}: {list: ListController<StackLine>; load: Load<StackDetails>}) {
	if (load.state === 'idle' || load.state === 'loading') return <Loading what="asking CloudFormation for the stack, its resources and its template…" />;
	if (load.state === 'error') return <Failure message={load.message} />;
	return (
		<ListRows
			list={list}
			keyOf={line => line.key}
			render={line => (
				<Text wrap="truncate" bold={line.kind === 'heading'} {...(line.kind === 'heading' ? {color: 'cyan'} : line.kind === 'secret' ? {color: 'yellow'} : line.tone ? {color: tones[line.tone]} : {})}>
					{line.kind === 'heading' ? line.text : `  ${line.text}`}
				</Text>
			)}
		/>
	);
}
