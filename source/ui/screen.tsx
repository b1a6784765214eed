import {lazy} from 'react';
import type {Route} from './navigation.js';
import {DashboardScreen} from './screens/dashboard/dashboard-screen.js';

// The first frame needs only the dashboard: the other screens (and what they import) load when first opened.
const ProjectScreen = lazy(() => import('./screens/project/project-screen.js').then(m => ({default: m.ProjectScreen})));
const HistoryScreen = lazy(() => import('./screens/history/history-screen.js').then(m => ({default: m.HistoryScreen})));
const LiveScreen = lazy(() => import('./screens/live/live-screen.js').then(m => ({default: m.LiveScreen})));
const ReleasePickerScreen = lazy(() => import('./screens/release-picker/release-picker-screen.js').then(m => ({default: m.ReleasePickerScreen})));
const RollbackScreen = lazy(() => import('./screens/rollback/rollback-screen.js').then(m => ({default: m.RollbackScreen})));
const StepFormScreen = lazy(() => import('./screens/step-form/step-form-screen.js').then(m => ({default: m.StepFormScreen})));
const TargetWizardScreen = lazy(() => import('./screens/targets/target-wizard-screen.js').then(m => ({default: m.TargetWizardScreen})));
const TargetsScreen = lazy(() => import('./screens/targets/targets-screen.js').then(m => ({default: m.TargetsScreen})));
const TaskScreen = lazy(() => import('./screens/task/task-screen.js').then(m => ({default: m.TaskScreen})));
const TemplatePreviewScreen = lazy(() => import('./screens/template-preview/template-preview-screen.js').then(m => ({default: m.TemplatePreviewScreen})));

/** The screen of a route, `height` × `width`. */
export function Screen({route, height, width}: {route: Route; height: number; width: number}) {
	switch (route.name) {
		case 'dashboard':
			return <DashboardScreen height={height} width={width} />;
		case 'project':
			return <ProjectScreen file={route.file} {...(route.environment === undefined ? {} : {environment: route.environment})} height={height} width={width} />;
		case 'targets':
			return <TargetsScreen height={height} width={width} />;
		case 'target-wizard':
			return <TargetWizardScreen {...(route.editing === undefined ? {} : {editing: route.editing})} height={height} width={width} />;
		case 'step-form':
			return <StepFormScreen {...(route.file === undefined ? {} : {file: route.file})} height={height} width={width} />;
		case 'template-preview':
			return <TemplatePreviewScreen file={route.file} environment={route.environment} height={height} width={width} />;
		case 'release-picker':
			return <ReleasePickerScreen file={route.file} mode={route.mode} {...(route.environment === undefined ? {} : {environment: route.environment})} height={height} width={width} />;
		case 'live':
			return <LiveScreen runId={route.runId} height={height} width={width} />;
		case 'rollback':
			return <RollbackScreen file={route.file} environment={route.environment} height={height} width={width} />;
		case 'history':
			return <HistoryScreen file={route.file} environment={route.environment} height={height} width={width} />;
		case 'task':
			return <TaskScreen file={route.file} environment={route.environment} height={height} width={width} />;
	}
}
