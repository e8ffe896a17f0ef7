"""The local Amazon Connect contact service.

A small HTTP service that speaks Amazon Connect's REST-JSON wire protocol for
contacts, so unmodified boto3 talks to it exactly as it talks to AWS. Run it
with ``python -m connect_contact_local --help``; use it from tests through
``connect_contact_local.testing``.

The provider never imports this package: it starts the service as a separate
process (this package and Werkzeug are the distribution's ``[local]`` extra). Nor
does the service import the provider's package: it reads botocore's model and
applies rules of its own. Modules:

- ``__main__``   the command line
- ``service``    wires the parts below into one WSGI application
- ``server``     the threaded HTTP server (Werkzeug)
- ``app``        dispatch: refusals, routing, validation, faults, statistics, errors
- ``guard``      who may call: signed requests, its own Host, no browsers, the admin token
- ``body``       reading request bodies within a size limit and the read timeout
- ``routes``     URL routing derived from botocore's service model
- ``wire``       requests and responses, (de)serialised by the service model
- ``shapes``     walking botocore shapes between JSON and parameters
- ``model``      botocore's Connect model, and a request's check against its input shape
- ``errors``     the modelled errors the service answers with
- ``rules``      the rules of contacts beyond the model, from the documented facts
- ``contacts``   contact behaviour: rules, idempotency, lifecycle
- ``instances``  Connect instances: create, describe, list, delete, their attributes
- ``instance_attributes`` the feature toggles ListInstanceAttributes lists
- ``tagging``    TagResource / UntagResource / ListTagsForResource on instance and contact ARNs
- ``search_criteria`` a SearchContacts request as a bounded store query
- ``idempotency`` ClientToken bookkeeping
- ``paging``     opaque NextToken values
- ``identity``   account, region and ARNs
- ``store``      SQLite persistence
- ``clock``      the service's movable clock
- ``faults``     throttling and fault injection
- ``stats``      per-operation request counters
- ``admin``      the ``/_local/...`` endpoints tests use to steer the service
- ``files``      the files beside the database: its claim, the admin token, the records
- ``testing``    start and steer a service from tests (``LocalConnect``, ``local_connect``)
"""
