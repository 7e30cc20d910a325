from tillit.followup.views import indicators, inventory, surveys

app_name = "followup"
# Each part of the follow-up keeps its addresses beside its views.
urlpatterns = [*surveys.urlpatterns, *indicators.urlpatterns, *inventory.urlpatterns]
