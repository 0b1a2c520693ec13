/**
 * Every operation of cloudtrail 2013-11-01, each with its handler or UNSUPPORTED. To add an
 * operation: write `<operation>.ts` exporting an OperationSpec and put it here.
 */
import { createChannel, deleteChannel, getChannel, listChannels, updateChannel } from './channels.js';
import { getInsightSelectors } from './insights/get-insight-selectors.js';
import { listInsightsData } from './insights/list-insights-data.js';
import { listInsightsMetricData } from './insights/list-insights-metric-data.js';
import { putInsightSelectors } from './insights/put-insight-selectors.js';
import { listPublicKeys } from './list-public-keys.js';
import { lookupEvents } from './lookup-events.js';
import { deregisterOrganizationDelegatedAdmin, registerOrganizationDelegatedAdmin } from './organization-delegated-admins.js';
import { addTags, listTags, removeTags } from './trails/tags.js';
import { getEventSelectors, putEventSelectors } from './trails/event-selectors.js';
import { createTrail, deleteTrail, updateTrail } from './trails/trail-lifecycle.js';
import { getTrailStatus, startLogging, stopLogging } from './trails/trail-logging.js';
import { describeTrails, getTrail, listTrails } from './trails/trail-queries.js';
import type { OperationTable } from './operation-spec.js';
import { UNSUPPORTED } from './operation-spec.js';

export const cloudTrailOperations: OperationTable = {
  AddTags: addTags,
  CancelQuery: UNSUPPORTED,
  CreateChannel: createChannel,
  CreateDashboard: UNSUPPORTED,
  CreateEventDataStore: UNSUPPORTED,
  CreateTrail: createTrail,
  DeleteChannel: deleteChannel,
  DeleteDashboard: UNSUPPORTED,
  DeleteEventDataStore: UNSUPPORTED,
  DeleteResourcePolicy: UNSUPPORTED,
  DeleteTrail: deleteTrail,
  DeregisterOrganizationDelegatedAdmin: deregisterOrganizationDelegatedAdmin,
  DescribeQuery: UNSUPPORTED,
  DescribeTrails: describeTrails,
  DisableFederation: UNSUPPORTED,
  EnableFederation: UNSUPPORTED,
  GenerateQuery: UNSUPPORTED,
  GetChannel: getChannel,
  GetDashboard: UNSUPPORTED,
  GetEventConfiguration: UNSUPPORTED,
  GetEventDataStore: UNSUPPORTED,
  GetEventSelectors: getEventSelectors,
  GetImport: UNSUPPORTED,
  GetInsightSelectors: getInsightSelectors,
  GetQueryResults: UNSUPPORTED,
  GetResourcePolicy: UNSUPPORTED,
  GetTrail: getTrail,
  GetTrailStatus: getTrailStatus,
  ListChannels: listChannels,
  ListDashboards: UNSUPPORTED,
  ListEventDataStores: UNSUPPORTED,
  ListImportFailures: UNSUPPORTED,
  ListImports: UNSUPPORTED,
  ListInsightsData: listInsightsData,
  ListInsightsMetricData: listInsightsMetricData,
  ListPublicKeys: listPublicKeys,
  ListQueries: UNSUPPORTED,
  ListTags: listTags,
  ListTrails: listTrails,
  LookupEvents: lookupEvents,
  PutEventConfiguration: UNSUPPORTED,
  PutEventSelectors: putEventSelectors,
  PutInsightSelectors: putInsightSelectors,
  PutResourcePolicy: UNSUPPORTED,
  RegisterOrganizationDelegatedAdmin: registerOrganizationDelegatedAdmin,
  RemoveTags: removeTags,
  RestoreEventDataStore: UNSUPPORTED,
  SearchSampleQueries: UNSUPPORTED,
  StartDashboardRefresh: UNSUPPORTED,
  StartEventDataStoreIngestion: UNSUPPORTED,
  StartImport: UNSUPPORTED,
  StartLogging: startLogging,
  StartQuery: UNSUPPORTED,
  StopEventDataStoreIngestion: UNSUPPORTED,
  StopImport: UNSUPPORTED,
  StopLogging: stopLogging,
  UpdateChannel: updateChannel,
  UpdateDashboard: UNSUPPORTED,
  UpdateEventDataStore: UNSUPPORTED,
  UpdateTrail: updateTrail,
};
