"""Who may see which custody record: exactly those who may see its people."""

from django.http import Http404

from kinbridge.custody.models import ChildResidence, CustodyEpisode


def get_episode_for_user(request, pk) -> CustodyEpisode:
    """The custody episode, if its person is visible to the user; 404 otherwise."""
    try:
        return (
            CustodyEpisode.objects.visible_to(request.user)
            .select_related("person", "facility")
            .get(pk=pk)
        )
    except (CustodyEpisode.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_stay_for_user(request, pk) -> ChildResidence:
    """The child's stay, if both child and mother are visible to the user; 404 otherwise."""
    try:
        return (
            ChildResidence.objects.visible_to(request.user)
            .select_related("child", "mother", "facility")
            .get(pk=pk)
        )
    except (ChildResidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
