// GitHub's published REST description (@octokit/openapi) as a checker of answers, for specs that
// hold the fake GitHub and the GitHub adapter to what GitHub documents.
export {
  githubDescription,
  sameTemplate,
  type DocumentedOperation,
  type GitHubDescription,
} from './description';
export { conformanceProblems, GITHUB_WIDE_STATUSES } from './conformance';
export { startRecordingProxy, type Exchange, type RecordingProxy } from './recording-proxy';
export { workflowJobPayloadProblems } from './webhook-schemas';
