"""The buyer's hosted checkout pages (`/pay/{id}`): server-rendered HTML from the Jinja2
templates in resources/checkout/, no script needed, in the buyer's language. The routes parse
the form, call the checkout services (invoicer.services.checkout) and render what they answer;
no business rule is decided here."""
