/** The recorded form of JSON services' parameters: sensitive members hidden, dates as text, unknown members left out. */
import { expect, it } from 'vitest';
import * as organizations from '../../services/organizations/model.gen.js';
import { HIDDEN_VALUE, recordedForm } from './json-record-form.js';

const { shapes, operations } = organizations;

it('hides sensitive members (account names, e-mail addresses) and keeps the others', () => {
  const input = { AccountName: 'Production', Email: 'ops@example.com', RoleName: 'Admin' };
  expect(recordedForm(shapes, operations.CreateAccount.input, input)).toEqual({ accountName: HIDDEN_VALUE, email: HIDDEN_VALUE, roleName: 'Admin' });
});

it('writes timestamps as CloudTrail does for Organizations, nested structures in lowerCamelCase', () => {
  const output = { CreateAccountStatus: { Id: 'car-1234567890', AccountName: 'x', State: 'IN_PROGRESS', RequestedTimestamp: 1604611305 } };
  expect(recordedForm(shapes, operations.CreateAccount.output, output)).toEqual({
    createAccountStatus: { id: 'car-1234567890', accountName: '****', state: 'IN_PROGRESS', requestedTimestamp: 'Nov 5, 2020 9:21:45 PM' },
  });
});

it('records null for no parameters and leaves out members the model does not know', () => {
  expect(recordedForm(shapes, operations.DescribeOrganization.input, {})).toBeNull();
  expect(recordedForm(shapes, undefined, { A: 1 })).toBeNull();
  expect(recordedForm(shapes, operations.ListAccounts.input, { MaxResults: 5, Sneaky: 'x', __proto__: { y: 1 } })).toEqual({ maxResults: 5 });
});

it('lists keep their order; a value that is not a list where the model has one is left out', () => {
  expect(recordedForm(shapes, operations.ListCreateAccountStatus.input, { States: ['FAILED', 'SUCCEEDED'] })).toEqual({ states: ['FAILED', 'SUCCEEDED'] });
  expect(recordedForm(shapes, operations.ListCreateAccountStatus.input, { States: 'FAILED' })).toBeNull();
});
