/* Synthetic Cookiebot cc.js for the scenario cookie-declared-in-file-only (blindspot tests), in the
   layout of the files consent.cookiebot.com serves (docs/formats/discovery.md "## Consent-manager
   declarations"): rows [name, provider, purpose, expiry, type, type code, name pattern, initiator]. */
CookieControl.Dialog=function(){};
CookieConsentDialog.cookieTableNecessary = [["CookieConsent","zonnebloem-apotheek.nl","Slaat de toestemmingsstatus van de bezoeker op","1 jaar","HTTP","1","","consent.cookiebot.com"]];
CookieConsentDialog.cookieTablePreference = [];
CookieConsentDialog.cookieTableStatistics = [["_ga","zonnebloem-apotheek.nl","Registreert een uniek ID voor statistieken","2 jaar","HTTP","1","","www.googletagmanager.com"],["_ga_#","zonnebloem-apotheek.nl","Slaat de sessiestatus op voor statistieken","2 jaar","HTTP","1","","www.googletagmanager.com"]];
CookieConsentDialog.cookieTableAdvertising = [];
CookieConsentDialog.cookieTableUnclassified = [];
